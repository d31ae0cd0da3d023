package catdog.streaming.admin;

/** How a candidate model is tried on live traffic before it is promoted or aborted. */
public enum TrialMode {
  /** A share of records, chosen by key hash, is scored by the candidate instead of the serving model. */
  CANARY,
  /** The candidate scores a copy of the traffic; its predictions go to a side topic only. */
  SHADOW
}
