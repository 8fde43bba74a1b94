export function ChartsPanel() {
  return <section aria-label="ChartsPanel">ChartsPanel (in progress)</section>;
}
