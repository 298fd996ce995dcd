package io.bitquan.flow.operators.model;

import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateChange;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The chains a job serves, each with its genesis. It travels inside the job graph as bytes
 * (Avro binary Genesis); each operator decodes it once in {@code open()}. A chain's genesis state
 * is loaded into keyed state on that chain's first event, so a job restored from a checkpoint
 * never reloads it.
 */
public final class ChainCatalog implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, byte[]> genesisByChain;
    private transient Map<String, ChainConfig> configs;

    private ChainCatalog(Map<String, byte[]> genesisByChain) {
        this.genesisByChain = genesisByChain;
    }

    public static ChainCatalog of(List<Genesis> genesis) {
        Map<String, byte[]> map = new HashMap<>();
        for (Genesis g : genesis) {
            map.put(g.getChainId(), AvroBinary.encode(g));
        }
        return new ChainCatalog(map);
    }

    public boolean serves(String chainId) {
        return genesisByChain.containsKey(chainId);
    }

    public Set<String> chains() {
        return genesisByChain.keySet();
    }

    public synchronized ChainConfig config(String chainId) {
        if (configs == null) {
            configs = new HashMap<>();
        }
        return configs.computeIfAbsent(chainId, id -> {
            byte[] bytes = genesisByChain.get(id);
            if (bytes == null) {
                throw new IllegalArgumentException("chain '" + id + "' is not served by this job (have " + chains() + ")");
            }
            return new ChainConfig(AvroBinary.decode(Genesis.getClassSchema(), bytes));
        });
    }

    /** The genesis state exactly as ChainRunner loads it. */
    public InMemoryStateStore genesisStore(String chainId) {
        InMemoryStateStore store = new InMemoryStateStore();
        store.apply(config(chainId).genesisWrites());
        return store;
    }

    /** The genesis lattice exactly as ChainRunner computes it. */
    public LtHash genesisLattice(String chainId) {
        LtHash lattice = new LtHash();
        for (StateChange change : new InMemoryStateStore().apply(config(chainId).genesisWrites())) {
            lattice.apply(change);
        }
        return lattice;
    }
}
