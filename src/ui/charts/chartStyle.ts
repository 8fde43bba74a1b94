// How every recharts plot of the studio draws its axes and hover box, so the charts look alike.

/** Spread into XAxis and YAxis. */
export const CHART_AXIS = { stroke: 'var(--muted)', fontSize: 11, tickLine: false } as const;

/** The hover box's `contentStyle`, in the panel's colours. */
export const CHART_TOOLTIP_STYLE = { background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, fontSize: 12 } as const;
