import { useStudio } from '../../store';
import { capabilityNotice } from './backend';
import './shell.css';

/** Explains a missing or software-only WebGPU and offers the wasm backend instead. */
export function CapabilityBanner() {
  const webgpuAvailable = useStudio((s) => s.webgpuAvailable);
  const backend = useStudio((s) => s.backend);
  const busy = useStudio((s) => s.busy);
  const switchBackend = useStudio((s) => s.switchBackend);
  const notice = capabilityNotice(typeof navigator !== 'undefined' && 'gpu' in navigator, webgpuAvailable, backend);
  if (notice.kind === 'none') return null;
  const useWasm = (
    <button type="button" className="primary" disabled={busy !== null} onClick={() => void switchBackend('wasm')}>
      Use the CPU backend (wasm)
    </button>
  );
  if (notice.kind === 'no-webgpu') {
    return (
      <div className="shell-banner warn" role="status">
        <div>
          <strong>WebGPU is not available.</strong> {notice.reason}{' '}
          {notice.offerFallback
            ? 'The studio can still train on the CPU with the wasm backend, more slowly.'
            : 'The studio runs on the CPU with the wasm backend instead: everything works, more slowly.'}
        </div>
        {notice.offerFallback && useWasm}
      </div>
    );
  }
  return (
    <div className="shell-banner info" role="status">
      <div>
        <strong>WebGPU is running in software</strong> ({notice.adapter}): there is no GPU to use, so each step is
        computed on the CPU. The wasm backend is much faster on this machine.
      </div>
      {useWasm}
    </div>
  );
}
