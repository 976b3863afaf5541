package input

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// The encodings that Index.Encoding names.
const (
	EncodingUTF8       = "UTF-8"
	EncodingUTF8BOM    = "UTF-8 with BOM"
	EncodingUTF16LEBOM = "UTF-16LE with BOM"
	EncodingUTF16BEBOM = "UTF-16BE with BOM"
	EncodingUTF16LE    = "UTF-16LE without BOM"
	EncodingUTF16BE    = "UTF-16BE without BOM"
)

// stream is one read of a Source: the raw bytes are hashed and counted, then decoded to
// UTF-8 and split into lines.
type stream struct {
	file     io.Closer
	raw      *countingHash
	lines    *lineReader
	encoding string
}

// openStream opens s and detects its encoding from the first bytes.
func openStream(s *Source) (*stream, error) {
	file, err := s.open()
	if err != nil {
		return nil, err
	}
	raw := &countingHash{r: file, h: sha256.New()}

	var head [4]byte
	n, err := io.ReadFull(raw, head[:])
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		file.Close()
		return nil, readError(s, err)
	}
	encoding, bomLength := sniffEncoding(head[:n])
	text := io.MultiReader(bytes.NewReader(head[bomLength:n]), raw)

	switch encoding {
	case EncodingUTF16LEBOM, EncodingUTF16LE:
		text = transform.NewReader(text, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder())
	case EncodingUTF16BEBOM, EncodingUTF16BE:
		text = transform.NewReader(text, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder())
	}
	return &stream{file: file, raw: raw, lines: newLineReader(text), encoding: encoding}, nil
}

func (st *stream) close() { st.file.Close() }

// sniffEncoding returns the encoding that the first bytes of an input show, and the
// length of its byte order mark. Without a byte order mark, text whose first or second
// byte is NUL is UTF-16, because CSV text in UTF-8 has no NUL bytes. Anything else is
// UTF-8.
func sniffEncoding(head []byte) (string, int) {
	switch {
	case bytes.HasPrefix(head, []byte{0xef, 0xbb, 0xbf}):
		return EncodingUTF8BOM, 3
	case bytes.HasPrefix(head, []byte{0xff, 0xfe}):
		return EncodingUTF16LEBOM, 2
	case bytes.HasPrefix(head, []byte{0xfe, 0xff}):
		return EncodingUTF16BEBOM, 2
	case len(head) >= 2 && head[0] != 0 && head[1] == 0:
		return EncodingUTF16LE, 0
	case len(head) >= 2 && head[0] == 0 && head[1] != 0:
		return EncodingUTF16BE, 0
	}
	return EncodingUTF8, 0
}

// countingHash reads r, hashing and counting what it reads.
type countingHash struct {
	r io.Reader
	h hash.Hash
	n int64
}

func (c *countingHash) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}

func (c *countingHash) sum() string { return hex.EncodeToString(c.h.Sum(nil)) }
