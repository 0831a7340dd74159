//! Runtime helpers the layers above share, with no rules of the product in them.

pub mod coding;
pub mod cpu_pool;
pub mod kept;
