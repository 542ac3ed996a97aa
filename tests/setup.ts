// Test workers get the same loopback-only fetch as the processes tests start.
import "./no-network.mjs";
