package io.bitquan.flow.execution.chainfile;

import java.io.IOException;

/**
 * A chain directory that must not be executed: missing, truncated, corrupt, or its files belong to
 * different chains. The message is one line meant for the user: it names the file and, for the
 * events, the last block that is still intact (height and the byte offset where it ends), so a
 * damaged chain is never mistaken for a shorter one.
 */
public final class ChainFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public ChainFileException(String message) {
        super(message);
    }

    public ChainFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
