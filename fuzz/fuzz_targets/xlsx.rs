//! The direct .xlsx reader against calamine: a sheet's XML and the shared
//! strings' XML (the input split at its first NUL byte) in an otherwise
//! ordinary package. Whenever both read the file they give the same cells,
//! and the direct reader never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Write;

fn package(sheet: &[u8], sst: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let pk = "http://schemas.openxmlformats.org/package/2006/relationships";
    let parts: [(&str, Vec<u8>); 6] = [
        ("_rels/.rels", format!(r#"<Relationships xmlns="{pk}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#).into_bytes()),
        ("xl/workbook.xml", format!(r#"<workbook xmlns:r="{rel}"><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>"#).into_bytes()),
        ("xl/_rels/workbook.xml.rels", format!(r#"<Relationships xmlns="{pk}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#).into_bytes()),
        ("xl/styles.xml", b"<styleSheet/>".to_vec()),
        ("xl/sharedStrings.xml", sst.to_vec()),
        ("xl/worksheets/sheet1.xml", sheet.to_vec()),
    ];
    for (name, bytes) in parts {
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&bytes).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fuzz_target!(|data: &[u8]| {
    let (sheet, sst) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"<sst/>"[..]),
    };
    let xlsx = package(sheet, sst);
    // calamine is asked only about what the direct reader is sure of
    // (elsewhere it can overflow on references the direct reader refuses to
    // read; the importer turns such panics into refusals).
    if let Some(Ok(direct)) = taizhang::returns::read::xlsx_direct(&xlsx)
        && let Ok(calamine) = taizhang::returns::read::xlsx_by_calamine(&xlsx)
    {
        // Debug text, so that NaN equals NaN.
        assert_eq!(format!("{direct:?}"), format!("{calamine:?}"));
    }
});
