package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Block-level rules: structure before execution, the coinbase claim after it. */
public final class BlockRules {
    private BlockRules() {}

    /**
     * Structure: chain id, 1..max transactions, exactly one coinbase and it is first, its height,
     * and the tx root. Returns {@code null} when the block is well formed.
     */
    public static RuleViolation checkStructure(Block block, List<PreparedTx> txs, ChainConfig config) {
        BlockHeader header = block.getHeader();
        if (!config.chainId().equals(header.getChainId())) {
            return new RuleViolation(Rule.HEADER_CHAIN_ID, "block is for chain " + header.getChainId() + ", not " + config.chainId());
        }
        if (txs.isEmpty()) {
            return new RuleViolation(Rule.BLOCK_EMPTY, "block has no transactions");
        }
        if (txs.size() > config.maxBlockTransactions()) {
            return new RuleViolation(Rule.BLOCK_TOO_LARGE, "block has " + txs.size() + " transactions, limit " + config.maxBlockTransactions());
        }
        if (!txs.get(0).isCoinbase()) {
            return new RuleViolation(Rule.COINBASE_MISSING, "tx 0 is not a coinbase");
        }
        for (int i = 1; i < txs.size(); i++) {
            if (txs.get(i).isCoinbase()) {
                return new RuleViolation(Rule.COINBASE_NOT_FIRST, "tx " + i + " is a coinbase");
            }
        }
        long coinbaseHeight = ((Coinbase) txs.get(0).body()).getHeight();
        if (coinbaseHeight != header.getHeight()) {
            return new RuleViolation(Rule.COINBASE_HEIGHT, "coinbase height " + coinbaseHeight + " in block " + header.getHeight());
        }
        List<byte[]> hashes = new ArrayList<>(txs.size());
        for (PreparedTx tx : txs) {
            hashes.add(tx.txHash());
        }
        if (!Arrays.equals(BlockHashes.txRoot(hashes), Bytes.of(header.getTxRoot()))) {
            return new RuleViolation(Rule.TX_ROOT_MISMATCH, "tx root does not match the transactions");
        }
        return null;
    }

    /** After the last transaction: the coinbase may claim at most subsidy + fees. */
    public static RuleViolation checkCoinbaseClaim(PreparedTx coinbase, long height, long fees, ChainConfig config) {
        long claimed;
        try {
            claimed = UtxoRules.outputSum(((Coinbase) coinbase.body()).getOutputs());
        } catch (RuleViolation outOfRange) {
            return outOfRange;
        }
        long allowed = config.subsidy(height) + fees;
        if (claimed > allowed) {
            return new RuleViolation(Rule.COINBASE_OVERCLAIM, "coinbase claims " + claimed + ", at most " + allowed
                    + " (subsidy " + config.subsidy(height) + " + fees " + fees + ")");
        }
        return null;
    }
}
