package dev.spur.core.experiments;

/**
 * How one variant's weight moves in a run, and why.
 *
 * @param variant the variant's name
 * @param fromBps its weight before the run
 * @param toBps its weight after the run
 * @param reason why, in one line: its P(best) and target, the move, what held it
 */
public record WeightChange(String variant, int fromBps, int toBps, String reason) {}
