//! `fetch-metadata <ws-url> <out-file>`: writes a running node's metadata for subxt codegen.

#[tokio::main]
async fn main() {
	let args: Vec<String> = std::env::args().collect();
	let (Some(url), Some(out)) = (args.get(1), args.get(2)) else {
		eprintln!("usage: fetch-metadata <ws-url> <out-file>");
		std::process::exit(2);
	};
	match waas_e2e::metadata::fetch_metadata(url).await {
		Ok((version, bytes)) => {
			if let Err(e) = std::fs::write(out, &bytes) {
				eprintln!("cannot write {out}: {e}");
				std::process::exit(1);
			}
			println!("wrote metadata v{version} ({} bytes) to {out}", bytes.len());
		},
		Err(e) => {
			eprintln!("{e}");
			std::process::exit(1);
		},
	}
}
