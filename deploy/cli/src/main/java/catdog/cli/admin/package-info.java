/**
 * {@code catdog admin}: operator commands for the models of a running fleet. status, swap, rollback,
 * canary, shadow, promote and abort talk to one instance's admin HTTP API through
 * {@link catdog.streaming.admin.AdminClient}; publish writes a ModelUpdate to the compacted models topic,
 * which every instance follows. The service owns the behaviour; this package only carries the request.
 */
package catdog.cli.admin;
