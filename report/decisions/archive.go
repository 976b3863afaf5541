package decisions

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// oleSignature starts a Compound File, the container of password-protected
// workbooks and of the old .xls format.
var oleSignature = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// checkArchive decompresses every part of the workbook's ZIP archive and
// returns an error for a damaged one. excelize v2.11.1 ignores read errors
// while it unpacks parts, so a damaged worksheet would otherwise read as
// one that ends early, and the decisions below the damage would be lost
// without a word.
//
// A Compound File passes unchecked; excelize then reports it as encrypted
// or not a workbook. The parts may hold at most excelize.UnzipSizeLimit
// bytes together, the limit excelize applies when it opens the workbook.
func checkArchive(r io.ReaderAt, size int64) error {
	head := make([]byte, len(oleSignature))
	if _, err := r.ReadAt(head, 0); err == nil && bytes.Equal(head, oleSignature) {
		return nil
	}

	zr, err := zip.NewReader(r, size)
	if err != nil {
		return err // zip: not a valid zip file
	}

	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > excelize.UnzipSizeLimit {
			return fmt.Errorf("the parts unpack to more than %d bytes", int64(excelize.UnzipSizeLimit))
		}
	}

	for _, f := range zr.File {
		if err := checkPart(f); err != nil {
			return fmt.Errorf("part %s is damaged: %w", f.Name, err)
		}
	}
	return nil
}

// checkPart decompresses one part. archive/zip checks its CRC-32 and its
// size against the archive's directory.
func checkPart(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()

	_, err = io.Copy(io.Discard, rc)
	return err
}
