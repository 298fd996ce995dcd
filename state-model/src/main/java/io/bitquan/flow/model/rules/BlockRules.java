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
import java.util.function.LongSupplier;

/** Block-level rules: structure before execution, the coinbase claim after it. */
public final class BlockRules {
    private BlockRules() {}

    /**
     * The caps checked before a block costs anything (the job runs this in the sequencer, before
     * splitting and preparing): chain id, 1..max transactions, at most
     * {@link BlockLimits#MAX_BLOCK_BYTES} encoded. {@link #checkStructure} starts with exactly
     * this, so a block rejected early gets the same rule and reason as in {@code execute}.
     */
    public static RuleViolation checkCaps(Block block, ChainConfig config) {
        return checkCaps(block.getHeader(), block.getTransactions().size(), () -> BlockLimits.encodedSize(block), config);
    }

    /**
     * {@link #checkCaps(Block, ChainConfig)} from what a reader that has not decoded the
     * transactions knows (the job's sequencer): the header, the transaction count and the
     * block's encoded size, asked for only when the count passes.
     */
    public static RuleViolation checkCaps(BlockHeader header, int count, LongSupplier encodedBytes, ChainConfig config) {
        if (!config.chainId().equals(header.getChainId())) {
            return new RuleViolation(Rule.HEADER_CHAIN_ID, "block is for chain " + abbreviate(header.getChainId())
                    + ", not " + config.chainId());
        }
        if (count == 0) {
            return new RuleViolation(Rule.BLOCK_EMPTY, "block has no transactions");
        }
        if (count > config.maxBlockTransactions()) {
            return new RuleViolation(Rule.BLOCK_TOO_LARGE, "block has " + count + " transactions, limit " + config.maxBlockTransactions());
        }
        long bytes = encodedBytes.getAsLong();
        if (bytes > BlockLimits.MAX_BLOCK_BYTES) {
            return new RuleViolation(Rule.BLOCK_TOO_LARGE, "block is " + bytes + " bytes, limit " + BlockLimits.MAX_BLOCK_BYTES);
        }
        return null;
    }

    /**
     * Structure: the caps ({@link #checkCaps}), header field lengths, exactly one coinbase and it
     * is first, its height, every transaction's fields ({@link StructureRules}), and the tx root.
     * Returns {@code null} when the block is well formed.
     */
    public static RuleViolation checkStructure(Block block, List<PreparedTx> txs, ChainConfig config) {
        return checkStructure(block, txs, config, null);
    }

    /**
     * {@link #checkStructure(Block, List, ChainConfig)} with the tx root of {@code txs}' hashes
     * already computed ({@code null}: computed here), e.g. by the job's preparers from per-chunk
     * subtree roots: the same rules in the same order, only the hashing is elsewhere.
     */
    public static RuleViolation checkStructure(Block block, List<PreparedTx> txs, ChainConfig config, byte[] txRoot) {
        return checkStructure(block, txs, config, txRoot, false);
    }

    /**
     * {@link #checkStructure(Block, List, ChainConfig, byte[])}; {@code sizeCapChecked}: the byte
     * cap already held on a count never below this block's canonical encoding (the job's
     * sequencer, before preparing), so the canonical size is not counted again (an Avro pass
     * over the whole block on the executor's serial thread): it cannot exceed the cap.
     */
    public static RuleViolation checkStructure(Block block, List<PreparedTx> txs, ChainConfig config, byte[] txRoot,
                                               boolean sizeCapChecked) {
        BlockHeader header = block.getHeader();
        RuleViolation caps = sizeCapChecked ? checkCaps(header, block.getTransactions().size(), () -> 0L, config)
                : checkCaps(block, config);
        if (caps != null) {
            return caps;
        }
        RuleViolation malformedHeader = StructureRules.checkHeader(header);
        if (malformedHeader != null) {
            return malformedHeader;
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
        RuleViolation malformedTx = StructureRules.checkTransactions(block.getTransactions(), config);
        if (malformedTx != null) {
            return malformedTx;
        }
        if (!Arrays.equals(txRoot != null ? txRoot : txRoot(txs), Bytes.of(header.getTxRoot()))) {
            return new RuleViolation(Rule.TX_ROOT_MISMATCH, "tx root does not match the transactions");
        }
        return null;
    }

    /** The Merkle root of the transactions' hashes ({@link BlockHashes#txRoot}). */
    public static byte[] txRoot(List<PreparedTx> txs) {
        List<byte[]> hashes = new ArrayList<>(txs.size());
        for (PreparedTx tx : txs) {
            hashes.add(tx.txHash());
        }
        return BlockHashes.txRoot(hashes);
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= BlockLimits.MAX_CHAIN_ID_CHARS ? s : s.substring(0, BlockLimits.MAX_CHAIN_ID_CHARS) + "...";
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
