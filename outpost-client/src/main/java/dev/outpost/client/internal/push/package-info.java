/** Push: the FIFO loop, native batch and v2/v3 single-request transports, conflict resolutions. Not API. */
package dev.outpost.client.internal.push;
