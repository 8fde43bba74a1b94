// The shared presentational pieces of the studio's panels, in one import.
export { CopyButton } from './CopyButton';
export { DropZone, type DropZoneProps } from './DropZone';
export { Panel, type PanelProps } from './Panel';
export { ProgressBar, type ProgressBarProps } from './ProgressBar';
export { Slider, type SliderProps } from './Slider';
export { StatList, type Stat } from './StatList';
export { Tooltip, type TooltipProps } from './Tooltip';
export * from './format';
export { useTurn } from './useTurn';
