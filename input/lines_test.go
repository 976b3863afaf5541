package input

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readAllLines returns every line that a lineReader over r returns, marking cut lines
// with a "(long)" suffix, and the reader's error.
func readAllLines(lr *lineReader) ([]string, []int, error) {
	var lines []string
	var numbers []int
	for {
		line, long, ok := lr.next()
		if !ok {
			return lines, numbers, lr.err
		}
		s := string(line)
		if long {
			s = strings.Repeat("x", 3) + "(long)"
			if !bytes.Equal(line, bytes.Repeat([]byte("x"), maxRowBytes)) {
				s = "(long line with wrong content)"
			}
		}
		lines = append(lines, s)
		numbers = append(numbers, lr.number)
	}
}

func TestLineReaderLineEnds(t *testing.T) {
	long := strings.Repeat("x", maxRowBytes)
	tests := []struct {
		name  string
		input string
		want  []string
	}{
		{"empty", "", nil},
		{"LF", "a\nb\n", []string{"a", "b"}},
		{"CRLF", "a\r\nb\r\n", []string{"a", "b"}},
		{"lone CR", "a\rb\r", []string{"a", "b"}},
		{"no final line end", "a\nb", []string{"a", "b"}},
		{"blank lines", "\n\r\n\r", []string{"", "", ""}},
		{"CR CR LF", "a\r\r\nb", []string{"a", "", "b"}},
		{"LF CR", "a\n\rb", []string{"a", "", "b"}},
		{"final lone CR", "a\r", []string{"a"}},
		{"line of the maximum length", long + "\r\nb", []string{long, "b"}},
		{"long line cut", long + "yyy\r\nb\n", []string{"xxx(long)", "b"}},
		{"line of the maximum length before final CR", long + "\r", []string{long}},
		{"long line cut at EOF", long + "zz", []string{"xxx(long)"}},
		{"long line then lone CR", long + "z\rb", []string{"xxx(long)", "b"}},
	}
	readers := map[string]func(io.Reader) io.Reader{
		"in memory": nil,
		"whole":     func(r io.Reader) io.Reader { return r },
		"one byte":  iotest.OneByteReader,
		"half":      iotest.HalfReader,
		"data EOF":  iotest.DataErrReader,
	}
	for _, tc := range tests {
		for readerName, wrap := range readers {
			t.Run(tc.name+"/"+readerName, func(t *testing.T) {
				lr := newTextLineReader([]byte(tc.input))
				if wrap != nil {
					lr = newLineReader(wrap(strings.NewReader(tc.input)))
				}
				lines, numbers, err := readAllLines(lr)
				if err != nil {
					t.Fatalf("read error: %v", err)
				}
				if strings.Join(lines, "|") != strings.Join(tc.want, "|") || len(lines) != len(tc.want) {
					t.Errorf("lines %q, want %q", shortLines(lines), shortLines(tc.want))
				}
				for i, n := range numbers {
					if n != i+1 {
						t.Errorf("line %d numbered %d", i+1, n)
					}
				}
			})
		}
	}
}

// shortLines shortens long lines for a failure message.
func shortLines(lines []string) []string {
	short := make([]string, len(lines))
	for i, l := range lines {
		short[i] = shorten(l, 20)
	}
	return short
}

func TestLineReaderReadError(t *testing.T) {
	failure := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader("a\nb"), iotest.ErrReader(failure))
	lines, _, err := readAllLines(newLineReader(r))
	if !errors.Is(err, failure) {
		t.Errorf("error %v, want %v", err, failure)
	}
	if strings.Join(lines, "|") != "a|b" {
		t.Errorf("lines %q before the error, want a and b", lines)
	}
}

func TestLineReaderPeekKeepsLines(t *testing.T) {
	lr := newLineReader(iotest.HalfReader(strings.NewReader("sep=;\r\n1;2\r\n")))
	if got := string(lr.peek(4)); !strings.HasPrefix(got, "sep=") {
		t.Fatalf("peek returned %q", got)
	}
	if got := string(lr.peek(sampleBytes)); got != "sep=;\r\n1;2\r\n" {
		t.Errorf("peek of more than the input returned %q", got)
	}
	for _, want := range []string{"sep=;", "1;2"} {
		line, _, ok := lr.next()
		if !ok || string(line) != want {
			t.Errorf("next = %q, %v; want %q", line, ok, want)
		}
	}
}
