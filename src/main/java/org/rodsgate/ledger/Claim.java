package org.rodsgate.ledger;

/**
 * A unit taken by one watcher, until {@code leaseUntil} (epoch ms); after that, or once the claiming instance stops
 * beating, any watcher may take it again. {@code gateway} is the claimer's label (several may share it);
 * {@code token} is unique to this claim, and only its holder may record the outcome.
 */
public record Claim(long id, Unit unit, int attempts, String gateway, long leaseUntil, String token) {}
