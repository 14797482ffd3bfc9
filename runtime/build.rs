fn main() {
	#[cfg(all(feature = "std", not(feature = "metadata-hash")))]
	{
		substrate_wasm_builder::WasmBuilder::build_using_defaults();
	}
	// With `metadata-hash`, the runtime commits to its metadata's hash (RFC 78) so that
	// offline signers can check what they sign (CheckMetadataHash in mode 1).
	#[cfg(all(feature = "std", feature = "metadata-hash"))]
	{
		substrate_wasm_builder::WasmBuilder::init_with_defaults()
			.enable_metadata_hash("WAAS", 12)
			.build();
	}
}
