//! End-to-end test support (pending metadata).
pub mod metadata;
