import { useState, type DragEvent, type ReactNode } from 'react';
import './common.css';

export interface DropZoneProps {
  /** Accessible name of the file button, e.g. "Choose data file". */
  label: string;
  /** Text inside the zone, e.g. "Drop a CSV, TSV, JSONL or TXT file". */
  children: ReactNode;
  /** File-input accept list, e.g. ".csv,.tsv". */
  accept?: string;
  multiple?: boolean;
  /** Pick a folder (Chromium's webkitdirectory) instead of files. */
  directory?: boolean;
  disabled?: boolean;
  onFiles(files: File[]): void;
}

/** A drop target that is also a file picker, so it works with the keyboard and without drag and drop. */
export function DropZone({ label, children, accept, multiple, directory, disabled, onFiles }: DropZoneProps) {
  const [over, setOver] = useState(false);
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!disabled && event.dataTransfer.files.length > 0) onFiles([...event.dataTransfer.files]);
  };
  // webkitdirectory is not in React's input typings; spread it so the attribute is still rendered
  const directoryProps = directory ? { webkitdirectory: '', directory: '' } : {};
  return (
    <div
      className={['dropzone', over && 'over', disabled && 'disabled'].filter(Boolean).join(' ')}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
    >
      <div className="dropzone-text">{children}</div>
      <label className="button">
        {directory ? 'Choose folder…' : 'Choose file…'}
        <input
          type="file"
          className="visually-hidden"
          aria-label={label}
          accept={accept}
          multiple={multiple}
          disabled={disabled}
          {...directoryProps}
          onChange={(event) => {
            const files = [...(event.target.files ?? [])];
            event.target.value = '';
            if (files.length > 0) onFiles(files);
          }}
        />
      </label>
    </div>
  );
}
