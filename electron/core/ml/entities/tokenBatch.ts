/** One padded batch of the model's token rows: texts × rows × dim, row-major, [CLS] first. */
export interface TokenBatch {
  texts: string[];
  data: Float32Array;
  dims: [number, number, number];
}
