/**
 * The courier: delivers verification and password-reset codes to users, by e-mail (SMTP) or by a signed webhook
 * (for text messages, or for everything when it is the only channel), as Ory Kratos keeps {@code courier/}.
 *
 * <p>Its edges: the code that causes a message says {@link io.meshyauth.server.courier.Courier#queue}; the
 * message is rendered from {@link io.meshyauth.server.courier.Templates}, written encrypted to the
 * {@link io.meshyauth.server.courier.Outbox} (a table, so that it survives a restart and any node may send it),
 * and a dispatcher thread of each node claims due messages, hands them to a
 * {@link io.meshyauth.server.courier.Channel}, and marks them sent, or retries them with exponential backoff,
 * or gives them up. Nothing here logs a code, an address or a message's text: the log names a message by its id,
 * kind and masked recipient.
 */
package io.meshyauth.server.courier;
