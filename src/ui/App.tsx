export function App() {
  return (
    <main>
      <h1>BERT Studio</h1>
      <p>Fine-tune BERT models in your browser on WebGPU.</p>
    </main>
  );
}
