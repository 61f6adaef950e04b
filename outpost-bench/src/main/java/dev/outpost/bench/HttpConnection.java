package dev.outpost.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** One blocking keep-alive HTTP/1.1 connection for sequential requests (the full-table readers). Not thread-safe. */
final class HttpConnection implements AutoCloseable {
    private final InetSocketAddress server;
    private final HttpResponseReader reader = new HttpResponseReader();
    private final ByteBuffer in = ByteBuffer.allocateDirect(64 * 1024);
    private SocketChannel channel;

    HttpConnection(InetSocketAddress server) {
        this.server = server;
    }

    /** Sends {@code request} and reads the whole response; the reader holds it until the next exchange. */
    HttpResponseReader exchange(byte[] request) throws IOException {
        if (channel == null) {
            channel = SocketChannel.open(server);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ByteBuffer out = ByteBuffer.wrap(request);
        while (out.hasRemaining()) {
            channel.write(out);
        }
        reader.reset();
        while (true) {
            in.clear();
            if (channel.read(in) < 0) {
                close();
                throw new IOException("the server closed the connection mid-response");
            }
            in.flip();
            if (reader.feed(in)) {
                break;
            }
        }
        if (!reader.keepAlive()) {
            close();
        }
        return reader;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
