package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.BlockHeader;

/**
 * A block offered to the core. The header is decoded up front (ids, height, parent); the body
 * only when the block is applied; the payload only when the block has to be stored (the core
 * turns a stored payload back into a candidate through the decoder it was given).
 */
public interface Candidate {

    BlockHeader header();

    byte[] headerId();

    int txCount();

    PreparedBody body();

    byte[] payload();
}
