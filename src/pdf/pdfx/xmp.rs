//! The XMP metadata packet of the print file, part of the PDF/X pass: the same title, author,
//! dates, trapping and PDF/X identification as the Info dictionary, in the namespaces that
//! preflight tools read for PDF/X-1a (`pdfx:` is Adobe's namespace for the Info dictionary's
//! `GTS_` keys; `pdfxid:` belongs to PDF/X-4 and later and so is not written here).

use super::{producer, PdfxMeta, PDFX_CONFORMANCE, PDFX_VERSION};
use crate::xml::{self, Breaks};

/// The namespaces, as the checker expects them too.
pub(crate) const NS_RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub(crate) const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
pub(crate) const NS_XMP: &str = "http://ns.adobe.com/xap/1.0/";
pub(crate) const NS_PDF: &str = "http://ns.adobe.com/pdf/1.3/";
pub(crate) const NS_XMP_MM: &str = "http://ns.adobe.com/xap/1.0/mm/";
pub(crate) const NS_PDFX: &str = "http://ns.adobe.com/pdfx/1.3/";

/// Room for a later tool to edit the packet in place, as the XMP specification recommends.
const PADDING_BYTES: usize = 2048;

/// The packet for `meta`; `digest` (the trailer /ID) gives the document and instance UUIDs.
pub(crate) fn packet(meta: &PdfxMeta, digest: &[u8; 16]) -> String {
    let date = meta.date.xmp_date();
    let uuid = crate::pdf::serialize::id_uuid(digest);
    let mut fields = String::new();
    fields.push_str("   <dc:format>application/pdf</dc:format>\n");
    fields.push_str(&format!(
        "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        escape(&meta.title)
    ));
    if let Some(author) = meta.author.as_deref().filter(|a| !a.trim().is_empty()) {
        fields.push_str(&format!("   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n", escape(author)));
    }
    if let Some(subject) = meta.subject.as_deref().filter(|s| !s.trim().is_empty()) {
        fields.push_str(&format!(
            "   <dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n",
            escape(subject)
        ));
    }
    for (name, value) in [
        ("xmp:CreateDate", date.as_str()),
        ("xmp:ModifyDate", date.as_str()),
        ("xmp:MetadataDate", date.as_str()),
        ("xmp:CreatorTool", &producer()),
        ("pdf:Producer", &producer()),
        ("pdf:Trapped", "False"),
        ("xmpMM:DocumentID", &format!("uuid:{uuid}")),
        ("xmpMM:InstanceID", &format!("uuid:{uuid}")),
        ("pdfx:GTS_PDFXVersion", PDFX_VERSION),
        ("pdfx:GTS_PDFXConformance", PDFX_CONFORMANCE),
    ] {
        fields.push_str(&format!("   <{name}>{}</{name}>\n", escape(value)));
    }
    let padding = format!("{}\n", " ".repeat(99)).repeat(PADDING_BYTES / 100);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         \x20<rdf:RDF xmlns:rdf=\"{NS_RDF}\">\n\
         \x20 <rdf:Description rdf:about=\"\"\n\
         \x20   xmlns:dc=\"{NS_DC}\"\n\
         \x20   xmlns:xmp=\"{NS_XMP}\"\n\
         \x20   xmlns:pdf=\"{NS_PDF}\"\n\
         \x20   xmlns:xmpMM=\"{NS_XMP_MM}\"\n\
         \x20   xmlns:pdfx=\"{NS_PDFX}\">\n\
         {fields}\
         \x20 </rdf:Description>\n\
         \x20</rdf:RDF>\n\
         </x:xmpmeta>\n\
         {padding}\
         <?xpacket end=\"w\"?>"
    )
}

/// XML text content: tabs and line ends kept, as the Info dictionary keeps them.
fn escape(text: &str) -> String {
    xml::escape(text, Breaks::Keep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::pdfx::IssueDate;

    fn meta(title: &str) -> PdfxMeta {
        PdfxMeta {
            title: title.into(),
            author: Some("嘉陵报社 & 出版部".into()),
            subject: None,
            date: IssueDate::parse("2025-10-15").unwrap(),
            bleed_pt: 0.0,
        }
    }

    #[test]
    fn packet_is_well_formed_and_escaped() {
        let xml = packet(&meta("嘉陵报 <第1版> \"A&B\" \u{1}"), &[7; 16]);
        let body = xml.split_once("?>").unwrap().1.rsplit_once("<?xpacket").unwrap().0;
        let document = roxmltree::Document::parse(body).expect("well-formed XML");
        let title = document.descendants().find(|n| n.has_tag_name((NS_RDF, "li"))).unwrap().text().unwrap();
        assert_eq!(title, "嘉陵报 <第1版> \"A&B\" ");
        assert!(xml.contains("&amp; 出版部"));
    }

    #[test]
    fn packet_carries_dates_and_pdfx_identification() {
        let xml = packet(&meta("t"), &[0xab; 16]);
        assert!(xml.contains("<xmp:CreateDate>2025-10-15T00:00:00+08:00</xmp:CreateDate>"));
        assert!(xml.contains("<pdfx:GTS_PDFXVersion>PDF/X-1:2001</pdfx:GTS_PDFXVersion>"));
        assert!(xml.contains("<pdfx:GTS_PDFXConformance>PDF/X-1a:2001</pdfx:GTS_PDFXConformance>"));
        assert!(xml.contains("<pdf:Trapped>False</pdf:Trapped>"));
        assert!(xml.contains("uuid:abababab-abab-8bab-abab-abababababab"), "{xml}");
    }
}
