/** Implementation details of the protocol module; not for applications. */
package dev.outpost.protocol.internal;
