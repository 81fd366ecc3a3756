// Barrel: every export named explicitly; helpers append their lines below.
export {};
