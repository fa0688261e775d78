package dev.spur.allocation;

/**
 * One channel's budget for the next period and why.
 *
 * @param channel the channel's name
 * @param amount its budget in minor units
 * @param reason one plain sentence a marketer can read
 */
public record ChannelAllocation(String channel, long amount, String reason) {}
