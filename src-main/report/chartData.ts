/** What the reports' charts draw, the same for the HTML (SVG) and the PDF. */

/** Curve colours, in order. */
export const palette = ['#1f5fa8', '#b4461f', '#2e7d32', '#6a3d9a', '#8c6d1f', '#c2185b', '#00838f'];

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** One ROC curve and, when there are calls, the operating point they give. */
export interface RocCurve {
  label: string;
  fpr: readonly number[];
  tpr: readonly number[];
  /** Area under the curve; null when it is not defined. */
  auroc: number | null;
  /** Where the calls sit (1 - specificity, sensitivity), drawn with their 95% intervals. */
  operatingPoint?: { sensitivity: Interval; specificity: Interval };
  /** Dashed line, e.g. a human reader next to models. */
  dashed?: boolean;
  /** The curve's colour; by default the palette's, in order. */
  colour?: string;
}

/** One bin of a reliability diagram. */
export interface CalibrationBin {
  lower: number;
  upper: number;
  n: number;
  meanPredicted: number;
  observedRate: number;
}
