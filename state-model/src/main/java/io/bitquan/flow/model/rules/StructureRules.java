package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The validation boundary: every field of an incoming block checked structurally, once, before
 * anything builds a state key, verifies a signature or predicts an access set from it. Needs
 * no state, so it runs wherever a block is first looked at ({@link BlockRules#checkStructure},
 * which {@code execute} and the Flink executor both call; the job's preparers call
 * {@link #checkTransaction} before signatures and access prediction).
 *
 * <p>What "structurally" means: lengths of ids, addresses, locks, keys and signatures (exact);
 * list sizes ({@link BlockLimits}); amounts and fees in [0, MAX_MONEY]; contract access-list
 * entries are canonical state keys; prevIndex is non-negative. Semantic checks (does the input
 * exist, does the key hash to the lock, the nonce, balances, sums) stay in the VM rules.
 * Returns the first violation in field order, {@code null} when well formed; never throws.
 */
public final class StructureRules {
    private StructureRules() {}

    /** Header fields: hash lengths and the chain id's size. */
    public static RuleViolation checkHeader(BlockHeader header) {
        String chainId = header.getChainId();
        if (chainId == null || chainId.isEmpty() || chainId.length() > BlockLimits.MAX_CHAIN_ID_CHARS) {
            return new RuleViolation(Rule.HEADER_MALFORMED, "chain id must be 1.." + BlockLimits.MAX_CHAIN_ID_CHARS + " chars");
        }
        if (!hasLength(header.getParentHash(), BlockLimits.HASH_BYTES)) {
            return new RuleViolation(Rule.HEADER_MALFORMED, "parent hash is not 32 bytes");
        }
        if (!hasLength(header.getTxRoot(), BlockLimits.HASH_BYTES)) {
            return new RuleViolation(Rule.HEADER_MALFORMED, "tx root is not 32 bytes");
        }
        if (header.getExpectedStateRoot() != null && !hasLength(header.getExpectedStateRoot(), BlockLimits.HASH_BYTES)) {
            return new RuleViolation(Rule.HEADER_MALFORMED, "expected state root is not 32 bytes");
        }
        return null;
    }

    /** One transaction at position {@code index} of its block. */
    public static RuleViolation checkTransaction(Transaction tx, int index, ChainConfig config) {
        Object body = tx == null ? null : tx.getBody();
        SignatureScheme scheme = config.scheme();
        if (body instanceof Coinbase cb) {
            return outputs(cb.getOutputs(), index);
        }
        if (body instanceof UtxoTransfer t) {
            return utxo(t, index, scheme);
        }
        if (body instanceof AccountTransfer t) {
            RuleViolation v = signer(t.getSender(), t.getPublicKey(), t.getSignature(), index, scheme);
            if (v == null) {
                v = address(t.getRecipient(), index, "recipient");
            }
            if (v == null) {
                v = amount(t.getAmount(), index, "amount");
            }
            return v == null ? amount(t.getFee(), index, "fee") : v;
        }
        if (body instanceof ContractDeploy t) {
            RuleViolation v = signer(t.getSender(), t.getPublicKey(), t.getSignature(), index, scheme);
            return v == null ? amount(t.getFee(), index, "fee") : v;
        }
        if (body instanceof ContractCall t) {
            return call(t, index, scheme);
        }
        return malformed(index, "has no known body");
    }

    /** Every transaction of a block, in order; the first violation. */
    public static RuleViolation checkTransactions(List<Transaction> txs, ChainConfig config) {
        for (int i = 0; i < txs.size(); i++) {
            RuleViolation v = checkTransaction(txs.get(i), i, config);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    private static RuleViolation utxo(UtxoTransfer t, int index, SignatureScheme scheme) {
        List<TxInput> inputs = t.getInputs();
        if (inputs.size() > BlockLimits.MAX_TX_INPUTS) {
            return malformed(index, "has " + inputs.size() + " inputs, limit " + BlockLimits.MAX_TX_INPUTS);
        }
        for (int i = 0; i < inputs.size(); i++) {
            TxInput in = inputs.get(i);
            if (!hasLength(in.getPrevTxId(), BlockLimits.HASH_BYTES)) {
                return malformed(index, "input " + i + " prevTxId is not 32 bytes");
            }
            if (in.getPrevIndex() < 0) {
                return malformed(index, "input " + i + " prevIndex is negative");
            }
            if (!hasLength(in.getPublicKey(), scheme.publicKeyBytes())) {
                return malformed(index, "input " + i + " public key is not " + scheme.publicKeyBytes() + " bytes");
            }
            if (!hasLength(in.getSignature(), scheme.signatureBytes())) {
                return malformed(index, "input " + i + " signature is not " + scheme.signatureBytes() + " bytes");
            }
        }
        return outputs(t.getOutputs(), index);
    }

    private static RuleViolation outputs(List<TxOutput> outputs, int index) {
        if (outputs.size() > BlockLimits.MAX_TX_OUTPUTS) {
            return malformed(index, "has " + outputs.size() + " outputs, limit " + BlockLimits.MAX_TX_OUTPUTS);
        }
        for (int i = 0; i < outputs.size(); i++) {
            TxOutput out = outputs.get(i);
            if (!hasLength(out.getLock(), StateKey.ADDRESS_BYTES)) {
                return malformed(index, "output " + i + " lock is not 32 bytes");
            }
            if (!ChainConfig.inMoneyRange(out.getAmount())) { // the message only for a violation: not built per output
                return amount(out.getAmount(), index, "output " + i + " amount");
            }
        }
        return null;
    }

    private static RuleViolation call(ContractCall t, int index, SignatureScheme scheme) {
        RuleViolation v = signer(t.getSender(), t.getPublicKey(), t.getSignature(), index, scheme);
        if (v == null) {
            v = address(t.getContract(), index, "contract address");
        }
        if (v == null && (t.getMethod() == null || t.getMethod().length() > BlockLimits.MAX_METHOD_CHARS)) {
            v = malformed(index, "method name is longer than " + BlockLimits.MAX_METHOD_CHARS + " chars");
        }
        if (v == null) {
            v = amount(t.getValue(), index, "value");
        }
        if (v == null) {
            v = amount(t.getFee(), index, "fee");
        }
        List<ByteBuffer> access = t.getAccessList();
        if (v == null && access != null) {
            if (access.size() > BlockLimits.MAX_ACCESS_LIST) {
                return malformed(index, "access list has " + access.size() + " entries, limit " + BlockLimits.MAX_ACCESS_LIST);
            }
            for (int i = 0; i < access.size(); i++) {
                if (!isStateKey(access.get(i))) {
                    return malformed(index, "access list entry " + i + " is not a state key");
                }
            }
        }
        return v;
    }

    private static RuleViolation signer(ByteBuffer sender, ByteBuffer publicKey, ByteBuffer signature, int index,
                                        SignatureScheme scheme) {
        RuleViolation v = address(sender, index, "sender");
        if (v == null && !hasLength(publicKey, scheme.publicKeyBytes())) {
            v = malformed(index, "public key is not " + scheme.publicKeyBytes() + " bytes");
        }
        if (v == null && !hasLength(signature, scheme.signatureBytes())) {
            v = malformed(index, "signature is not " + scheme.signatureBytes() + " bytes");
        }
        return v;
    }

    private static RuleViolation address(ByteBuffer address, int index, String what) {
        return hasLength(address, StateKey.ADDRESS_BYTES) ? null : malformed(index, what + " is not 32 bytes");
    }

    private static RuleViolation amount(long amount, int index, String what) {
        return ChainConfig.inMoneyRange(amount) ? null
                : new RuleViolation(Rule.AMOUNT_RANGE, "tx " + index + " " + what + " " + amount + " outside [0, MAX_MONEY]");
    }

    private static RuleViolation malformed(int index, String what) {
        return new RuleViolation(Rule.TX_MALFORMED, "tx " + index + " " + what);
    }

    private static boolean isStateKey(ByteBuffer encoded) {
        if (encoded == null) {
            return false;
        }
        try {
            StateKey.decode(Bytes.of(encoded));
            return true;
        } catch (IllegalArgumentException notAKey) {
            return false;
        }
    }

    private static boolean hasLength(ByteBuffer buffer, int length) {
        return buffer != null && buffer.remaining() == length;
    }
}
