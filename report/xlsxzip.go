package report

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"os"
)

// ZIP local file header layout (PKWARE APPNOTE 4.3.7): signature, version
// needed to extract at offset 4, file name length at 26, extra field length
// at 28, then name and extra field from offset 30.
const (
	localHeaderSignature = 0x04034b50
	localHeaderSize      = 30
	zip64Version         = 45 // version 4.5, the first with ZIP64
)

// markZip64Headers sets "version needed to extract" to 4.5 in the local
// header of every part of the archive in f that is larger than threshold
// bytes. archive/zip writes 2.0 there even for ZIP64 parts and 4.5 only in the
// central directory, and Excel rejects a workbook whose two headers differ
// (excelize v2.11.1 does the same fix-up in writeZip64LFH for this reason).
func markZip64Headers(f *os.File, threshold uint64) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	archive, err := zip.NewReader(f, info.Size())
	if err != nil {
		return fmt.Errorf("read back workbook archive: %w", err)
	}

	for _, part := range archive.File {
		if part.UncompressedSize64 <= threshold && part.CompressedSize64 <= threshold {
			continue
		}
		offset, err := localHeaderOffset(f, part)
		if err != nil {
			return err
		}
		var version [2]byte
		binary.LittleEndian.PutUint16(version[:], zip64Version)
		if _, err := f.WriteAt(version[:], offset+4); err != nil {
			return fmt.Errorf("mark ZIP64 header of %s: %w", part.Name, err)
		}
	}
	return nil
}

// localHeaderOffset finds the local header of part. archive/zip exposes only
// where the data starts, so the header is the 30 bytes before the name and
// the extra field. The extra field is empty in archives that archive/zip
// writes, and the header found must record that name and extra length.
func localHeaderOffset(f *os.File, part *zip.File) (int64, error) {
	dataOffset, err := part.DataOffset()
	if err != nil {
		return 0, err
	}

	for _, extra := range []int{0, len(part.Extra)} {
		offset := dataOffset - localHeaderSize - int64(len(part.Name)) - int64(extra)
		var header [localHeaderSize]byte
		if _, err := f.ReadAt(header[:], offset); err != nil {
			continue
		}
		if binary.LittleEndian.Uint32(header[0:]) == localHeaderSignature &&
			int(binary.LittleEndian.Uint16(header[26:])) == len(part.Name) &&
			int(binary.LittleEndian.Uint16(header[28:])) == extra {
			return offset, nil
		}
	}
	return 0, fmt.Errorf("local header of %s not found in the workbook archive", part.Name)
}
