package io.bitquan.flow.model.state;

/**
 * A state value with exactly one canonical encoding. The kind of value is fixed by the kind of
 * its key, so the encoding carries no tag: {@link #decode} needs the key kind.
 */
public sealed interface StateValue permits UtxoEntry, AccountState, ContractCode, StorageValue {

    byte[] encode();

    static StateValue decode(StateKey.Kind kind, byte[] encoded) {
        return switch (kind) {
            case UTXO -> UtxoEntry.decode(encoded);
            case ACCOUNT -> AccountState.decode(encoded);
            case CODE -> new ContractCode(encoded.clone());
            case STORAGE -> new StorageValue(encoded.clone());
        };
    }
}
