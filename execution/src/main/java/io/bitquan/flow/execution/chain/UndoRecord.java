package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * Everything needed to disconnect an applied block, like Bitcoin Core's rev files: the changes
 * it made (old values included) and the tip it replaced.
 */
public record UndoRecord(long height, byte[] headerId, byte[] parentId, List<StateChange> changes) {}
