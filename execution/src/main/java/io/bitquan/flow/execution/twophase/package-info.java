/**
 * The two-phase engine: one optimistic parallel round in which every transaction reads only the
 * pre-block state, then one ordered pass that keeps each result whose reads are still valid and
 * re-executes the rest against the multi-version memory. Simple and exact, but it re-executes
 * nearly everything once accounts are shared; it exists as a baseline for Block-STM and shares
 * its {@code MvMemory}, {@code VersionedView} and {@code WorkerPool}.
 */
package io.bitquan.flow.execution.twophase;
