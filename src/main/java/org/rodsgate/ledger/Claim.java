package org.rodsgate.ledger;

/** A unit taken by one gateway, until {@code leaseUntil} (epoch ms); after that any gateway may take it again. */
public record Claim(long id, Unit unit, int attempts, String gateway, long leaseUntil) {}
