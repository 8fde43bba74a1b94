export function PlaygroundPanel() {
  return <section aria-label="PlaygroundPanel">PlaygroundPanel (in progress)</section>;
}
