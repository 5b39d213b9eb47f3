//! devlink (placeholder)
