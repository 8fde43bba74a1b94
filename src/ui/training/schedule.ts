/** The LR schedule's shape for the small preview next to the schedule picker. */
import { lrScaleAt, type LrSchedule } from '../../train/lr';

/** SVG polyline points of the schedule's scale over `steps` steps, in a width × height box (y down). */
export function schedulePoints(schedule: LrSchedule, steps: number, width: number, height: number): string {
  if (!Number.isInteger(steps) || steps < 2) throw new RangeError(`a schedule preview needs at least 2 steps, got ${steps}`);
  const points: string[] = [];
  for (let step = 0; step <= steps; step++) {
    const scale = lrScaleAt(step, steps, schedule);
    const x = (step / steps) * width;
    const y = (1 - scale) * height;
    points.push(`${round(x)},${round(y)}`);
  }
  return points.join(' ');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
