//! Rebuilds the generated client when the committed metadata changes: the subxt macro reads
//! the file, but cargo does not know that on its own.
fn main() {
	println!("cargo:rerun-if-changed=../metadata/waas.scale");
}
