package dev.outpost.todo;

import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The progress lines of {@code sync}: "↑ Pushed 3 changes", "↓ Pulled 1,200 records (2 pages)". On a terminal the
 * line of the running step is updated in place as it goes; elsewhere each step prints one line when it finishes,
 * so a failed step prints nothing (its one-line error says it all). Silent with {@code --json}.
 *
 * <p>Called on the syncing thread only (see {@link SyncListener}).
 */
final class SyncProgress implements SyncListener {
    private final PrintStream out;
    private final boolean live;
    private final boolean silent;
    private int liveLength;
    private int pulled;
    private int pages;

    SyncProgress(Output output, boolean silent) {
        this.out = output.out();
        this.live = output.terminal() && !silent;
        this.silent = silent;
    }

    @Override
    public void pushStarted(int operations) {
        show("↑ Pushing " + ItemText.count(operations, "change", "changes") + " …");
    }

    @Override
    public void pushFinished(PushResult result) {
        List<String> parts = new ArrayList<>();
        if (result.pushed() > 0) {
            parts.add("Pushed " + ItemText.count(result.pushed(), "change", "changes") + (result.alreadyApplied() > 0
                    ? " (" + result.alreadyApplied() + " had reached the server before an interrupted sync)" : ""));
        }
        if (result.resolved() > 0) {
            parts.add(ItemText.count(result.resolved(), "conflict", "conflicts") + " merged");
        }
        if (!result.parked().isEmpty()) {
            parts.add(ItemText.count(result.parked().size(), "change", "changes") + " parked as "
                    + (result.parked().size() == 1 ? "a conflict" : "conflicts"));
        }
        finish("↑ " + (parts.isEmpty() ? "Nothing to push" : String.join(", ", parts)));
    }

    @Override
    public void pullStarted(String table, String queryId) {
        pulled = 0;
        pages = 0;
        show("↓ Pulling …");
    }

    @Override
    public void pullPage(String table, int upserted, int deleted, int skipped) {
        pulled += upserted + deleted;
        pages++;
        show("↓ Pulling … " + pulledText());
    }

    @Override
    public void pullFinished(PullResult result) {
        pulled = result.upserted() + result.deleted();
        pages = result.pages();
        finish("↓ Pulled " + pulledText());
    }

    /** Clears a live line left by a step that failed, so that the error message stands alone. */
    void abandon() {
        if (live && liveLength > 0) {
            out.print("\r" + " ".repeat(liveLength) + "\r");
            out.flush();
            liveLength = 0;
        }
    }

    private String pulledText() {
        return String.format("%,d %s (%s)", pulled, pulled == 1 ? "record" : "records",
                ItemText.count(pages, "page", "pages"));
    }

    private void show(String line) {
        if (live) {
            abandon();
            out.print(line);
            out.flush();
            liveLength = line.length();
        }
    }

    private void finish(String line) {
        if (silent) {
            return;
        }
        abandon();
        out.println(line);
    }
}
