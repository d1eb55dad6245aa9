//! RFC 3261 non-INVITE client and server transactions, sans-IO. (to be written)
