//! The libp2p request-response codec: one CBOR-encoded [`WireMessage`] per request, one
//! [`Ack`] per response, with a size cap checked before anything is decoded.

use super::{Ack, WireMessage};
use async_trait::async_trait;
use futures::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use libp2p::StreamProtocol;
use std::io;

/// Protocol name of signer-to-signer messages.
pub const PROTOCOL: StreamProtocol = StreamProtocol::new("/waas/mpc/1");
/// Cap on an encoded [`Ack`].
const MAX_ACK_BYTES: u64 = 64;

/// Encodes and decodes [`WireMessage`]s, refusing any larger than `max_message_bytes`.
#[derive(Clone, Copy, Debug)]
pub struct WireCodec {
	/// Largest encoded request accepted or sent.
	pub max_message_bytes: u64,
}

async fn read_capped<T: AsyncRead + Unpin + Send>(io: &mut T, cap: u64) -> io::Result<Vec<u8>> {
	let mut buf = Vec::new();
	io.take(cap + 1).read_to_end(&mut buf).await?;
	if buf.len() as u64 > cap {
		return Err(io::Error::new(
			io::ErrorKind::InvalidData,
			format!("message over {cap} bytes"),
		));
	}
	Ok(buf)
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> io::Result<T> {
	ciborium::from_reader(bytes)
		.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))
}

fn encode<T: serde::Serialize>(value: &T) -> io::Result<Vec<u8>> {
	let mut out = Vec::new();
	ciborium::into_writer(value, &mut out)
		.map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e.to_string()))?;
	Ok(out)
}

#[async_trait]
impl libp2p::request_response::Codec for WireCodec {
	type Protocol = StreamProtocol;
	type Request = WireMessage;
	type Response = Ack;

	async fn read_request<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<WireMessage>
	where
		T: AsyncRead + Unpin + Send,
	{
		decode(&read_capped(io, self.max_message_bytes).await?)
	}

	async fn read_response<T>(&mut self, _: &StreamProtocol, io: &mut T) -> io::Result<Ack>
	where
		T: AsyncRead + Unpin + Send,
	{
		decode(&read_capped(io, MAX_ACK_BYTES).await?)
	}

	async fn write_request<T>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		req: WireMessage,
	) -> io::Result<()>
	where
		T: AsyncWrite + Unpin + Send,
	{
		let bytes = encode(&req)?;
		if bytes.len() as u64 > self.max_message_bytes {
			return Err(io::Error::new(io::ErrorKind::InvalidInput, "message over the size cap"));
		}
		io.write_all(&bytes).await?;
		io.close().await
	}

	async fn write_response<T>(
		&mut self,
		_: &StreamProtocol,
		io: &mut T,
		ack: Ack,
	) -> io::Result<()>
	where
		T: AsyncWrite + Unpin + Send,
	{
		io.write_all(&encode(&ack)?).await?;
		io.close().await
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use libp2p::request_response::Codec;

	#[test]
	fn round_trip_and_cap() {
		futures::executor::block_on(async {
			let mut codec = WireCodec { max_message_bytes: 200 };
			let msg = WireMessage {
				session: [200; 32],
				seq: 9,
				broadcast: true,
				payload: vec![200; 100],
			};
			let mut wire = futures::io::Cursor::new(Vec::new());
			codec.write_request(&PROTOCOL, &mut wire, msg.clone()).await.unwrap();
			let bytes = wire.into_inner();
			// Byte strings (1 byte per byte), not arrays of integers (2 bytes per byte >= 24).
			assert!(bytes.len() < 132 + 40, "encoded in {} bytes", bytes.len());
			let got = codec.read_request(&PROTOCOL, &mut bytes.as_slice()).await.unwrap();
			assert_eq!(got, msg);

			let big = WireMessage { payload: vec![0; 300], ..msg.clone() };
			let mut wire = futures::io::Cursor::new(Vec::new());
			assert!(codec.write_request(&PROTOCOL, &mut wire, big.clone()).await.is_err());
			let oversized = encode(&big).unwrap();
			let err = codec.read_request(&PROTOCOL, &mut oversized.as_slice()).await.unwrap_err();
			assert!(err.to_string().contains("over 200 bytes"), "{err}");
			let garbage = [0xffu8; 50];
			assert!(codec.read_request(&PROTOCOL, &mut garbage.as_slice()).await.is_err());
		});
	}
}
