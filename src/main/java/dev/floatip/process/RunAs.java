package dev.floatip.process;

/**
 * The user and group a command runs as, resolved to numbers.
 *
 * @param name how the caller named it, for messages ({@code nobody}, {@code 1000:1000})
 */
public record RunAs(String name, long uid, long gid) {}
