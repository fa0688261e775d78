package dev.spur.core.budget;

/**
 * One channel's budget in one period, in minor units. {@code remaining} is what rewards may
 * still reserve; it is kept beside {@code allocated} and {@code spent} because a DynamoDB
 * condition can compare an attribute with a value but cannot do arithmetic.
 */
public record ChannelBudget(String channel, long allocated, long spent, long remaining) {}
