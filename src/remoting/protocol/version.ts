// MQVersion ordinals (PROTOCOL.md §1.6).
export const MQVersion = {
  V3_0_11: 37,
  V3_4_9: 121,
  V3_5_8: 137,
  V4_0_0: 213,
  V4_1_0_SNAPSHOT: 232,
  V4_3_0: 273,
  V4_5_0: 313,
  V4_5_2: 317,
  V4_7_0: 353,
  V4_9_0: 393,
  V4_9_4: 401,
  V4_9_8: 409,
  V5_0_0: 413,
  V5_1_0: 433,
  V5_2_0: 453,
  V5_3_0: 473,
  V5_3_1: 475,
  V5_3_3: 479,
} as const;
export type MQVersion = (typeof MQVersion)[keyof typeof MQVersion];

/** The version our servers and clients put in every command they send (must be ≥ V4_9_4 in replies). */
export const CURRENT_VERSION: number = MQVersion.V5_3_3;
