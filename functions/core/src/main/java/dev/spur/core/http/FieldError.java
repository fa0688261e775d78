package dev.spur.core.http;

/**
 * One offending field of a request: its path in the body (dots for nesting, as in
 * {@code amount.currency}) and what is wrong with it.
 */
public record FieldError(String field, String detail) {}
