// Package regions looks up Indonesian administrative area codes (province,
// regency, district) by their official dotted code.
//
// The data is an unchanged copy of the idn-area-data package v4.0.1 (ODbL 1.0,
// see data/NOTICE), embedded so lookups need no files or network at run time.
package regions

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"sync"
)

//go:embed data/provinces.csv data/regencies.csv data/districts.csv data/NOTICE
var files embed.FS

// tables holds the parsed code → name maps; filled once on first lookup so
// programs that never look up a region pay nothing at start-up.
type tables struct {
	provinces, regencies, districts map[string]string
}

var (
	loadOnce sync.Once
	loaded   tables
	loadErr  error
)

// load parses the embedded CSV files once. A parse failure means the embedded
// data is corrupt, which is a build defect, so callers panic on it.
func load() tables {
	loadOnce.Do(func() {
		var t tables
		if t.provinces, loadErr = readTable("data/provinces.csv"); loadErr != nil {
			return
		}
		if t.regencies, loadErr = readTable("data/regencies.csv"); loadErr != nil {
			return
		}
		if t.districts, loadErr = readTable("data/districts.csv"); loadErr != nil {
			return
		}
		loaded = t
	})
	if loadErr != nil {
		panic(fmt.Sprintf("regions: embedded data is corrupt: %v", loadErr))
	}
	return loaded
}

// readTable reads a CSV whose first column is the code and last column the
// name (provinces: code,name; regencies/districts: code,parent_code,name).
func readTable(name string) (map[string]string, error) {
	raw, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	r := csv.NewReader(bytes.NewReader(raw))
	if _, err := r.Read(); err != nil { // header
		return nil, fmt.Errorf("read header of %s: %w", name, err)
	}
	m := make(map[string]string, bytes.Count(raw, []byte{'\n'}))
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return m, nil
		}
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		if len(rec) < 2 {
			return nil, fmt.Errorf("parse %s: record %v has %d fields", name, rec, len(rec))
		}
		m[rec[0]] = rec[len(rec)-1]
	}
}

// Province returns the name of the province with the given two-digit code,
// e.g. "35" → "Jawa Timur".
func Province(code string) (name string, ok bool) {
	name, ok = load().provinces[code]
	return name, ok
}

// Regency returns the name of the regency or city with the given dotted code,
// e.g. "35.15" → "Kabupaten Sidoarjo".
func Regency(code string) (name string, ok bool) {
	name, ok = load().regencies[code]
	return name, ok
}

// District returns the name of the district (kecamatan) with the given dotted
// code, e.g. "35.15.01" → "Tarik".
func District(code string) (name string, ok bool) {
	name, ok = load().districts[code]
	return name, ok
}

// Notice returns the attribution and licence notice that must travel with the
// area codes (ODbL 1.0), for display in an "about" or licences page.
func Notice() string {
	b, err := files.ReadFile("data/NOTICE")
	if err != nil {
		panic(fmt.Sprintf("regions: embedded NOTICE missing: %v", err))
	}
	return string(b)
}
