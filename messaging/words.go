package messaging

import (
	"fmt"
	"strings"
	"time"
)

var bulan = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}

// Day words a date as trainees read it: "2 Februari 2027".
func Day(t time.Time) string {
	return fmt.Sprintf("%d %s %d", t.Day(), bulan[t.Month()-1], t.Year())
}

// DayTime words a date with its time: "2 Februari 2027 pukul 08.00".
func DayTime(t time.Time) string {
	return fmt.Sprintf("%s pukul %02d.%02d", Day(t), t.Hour(), t.Minute())
}

// FirstName is the first word of a name: messages greet the trainee by it.
func FirstName(name string) string {
	f := strings.Fields(name)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}
