/** Test fakes and fixtures. */
package dev.outpost.client.testing;
