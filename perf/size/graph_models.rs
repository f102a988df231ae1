//! Application 2: the calls of `sdk/examples/intune.rs` on the graph-resource models of the
//! Intune family (`graph-resource-codegen`, default style), through the mock transport.

mod answers;
// The calls of `sdk/examples/intune.rs`, from `sdk/examples/support/intune_calls.rs`.
mod calls;
// The family is larger than the calls use.
#[allow(dead_code)]
mod model;

use std::error::Error;

use answers::{APP, CONFIGURATION, DEVICE, GROUP, POLICY};
use graph_resource::Client;
use model::*;

fn main() -> Result<(), Box<dyn Error>> {
    let (client, mock) = answers::client()?;
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(calls::walk_through(&client))?;
    println!("the transport received {} requests", mock.requests().len());
    Ok(())
}
