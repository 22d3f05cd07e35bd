/**
 * Running external commands for the agent: health-check scripts ({@code dev.floatip.tracking}) and
 * notify hooks ({@code dev.floatip.notify}) go through one {@link
 * dev.floatip.process.ProcessRunner}, so both get the same isolation (no shell, minimal
 * environment, own session and process group, optional user switch) and the same kill of the whole
 * process group at the timeout. Depends on the JDK and jboss-logging only.
 */
package dev.floatip.process;
