#!/usr/bin/env python3
# Regenerates src/main/resources/io/pbxbridge/sandbox/monema/*.wsdl from the operation table of the Monema spec.
# Run from the repository root: python3 tools/generate-monema-wsdl.py
# generates the two WSDL variants served by the Monema simulator from the spec's operation table
NS = "urn:pb_tamtam"
ops = [
 ("C_getCredit", [("clientLogin","string"),("clientPassword","string")], [("credit","double")]),
 ("C_getCalls", [("clientLogin","string"),("ClientPassword","string"),("dateStart","string"),("dateEnd","string"),("fromId","string"),("type","string")], [("calls","ArrayOfCalls")]),
 ("C_getCallTags", [("clientLogin","string"),("ClientPassword","string"),("callId","string")], [("calltags","ArrayOfCallsTags")]),
 ("C_makeCall", [("clientLogin","string"),("clientPassword","string"),("SourceExt","string"),("destExt","string"),("variables","string")], [("ok","boolean")]),
 ("C_makeCallResponse", [("clientLogin","string"),("clientPassword","string"),("SourceExt","string"),("destExt","string"),("variables","string")], [("ok","boolean"),("status","string"),("uniqueid","string")]),
 ("C_getCallDownloadLink", [("clientLogin","string"),("clientPassword","string"),("callId","int")], [("url","string")]),
 ("C_getExtensions", [("clientLogin","string"),("clientPassword","string")], [("extensions","ArrayOfExtensions")]),
 ("C_enableExtensionTransfer", [("clientLogin","string"),("clientPassword","string"),("extensionId","int"),("dstNumber","string"),("isExternal","boolean")], [("ok","boolean")]),
 ("C_disableExtensionTransfer", [("clientLogin","string"),("clientPassword","string"),("extensionId","int")], [("ok","boolean")]),
 ("C_getExtensionTransferStatus", [("clientLogin","string"),("clientPassword","string"),("extensionId","int")], [("enabled","boolean"),("number","string"),("is_external","boolean")]),
 ("C_sendSMS", [("clientLogin","string"),("clientPassword","string"),("callerId","string"),("dstNumber","string"),("message","string")], [("ok","boolean")]),
 ("C_getFaxModems", [("clientLogin","string"),("clientPassword","string")], [("modems","ArrayOfstring")]),
 ("C_startFaxUpload", [("clientLogin","string"),("clientPassword","string")], [("sessionId","string")]),
 ("C_uploadFaxChunk", [("clientLogin","string"),("clientPassword","string"),("sessionId","string"),("chunk","base64Binary")], [("file_size","int")]),
 ("C_sendFax", [("clientLogin","string"),("clientPassword","string"),("sessionId","string"),("faxModem","string"),("destNumbers","string"),("useCover","boolean"),("coverDestName","string"),("coverDestCompany","string"),("coverDestLocation","string"),("coverDestVoicePhone","string"),("coverDestSubject","string"),("coverDestComments","string")], [("ok","boolean")]),
]
structs = {
 "Calls": [("id","int"),("clients_id","int"),("src","string"),("dst","string"),("duration","int"),("disposition","string"),("uniqueid","string"),("recorded","boolean"),("calldate","int"),("accountcode","int"),("cost","double"),("ext_src_recorded","boolean"),("ext_dst_recorded","boolean")],
 "CallsTags": [("id","int"),("calls_id","int"),("clients_id","int"),("tag","string"),("uniqueid","string")],
 "Extensions": [("id","int"),("users_id","int"),("clients_id","int"),("extnumber","int")],
}
def t(x):
    return ("tns:" + x) if (x.startswith("ArrayOf") and x != "ArrayOfstring") or x in structs else ("tns:ArrayOfstring" if x=="ArrayOfstring" else "xsd:" + x)

def header(style):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<!-- Monema client SOAP API ({style}), as published at /public_api/pb_tamtam_wsdl.php -->
<definitions xmlns="http://schemas.xmlsoap.org/wsdl/"
             xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
             xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
             xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
             xmlns:xsd="http://www.w3.org/2001/XMLSchema"
             xmlns:tns="{NS}"
             name="pb_tamtam" targetNamespace="{NS}">
'''
def rpc():
    out = [header("rpc/encoded"), '  <types>\n    <xsd:schema targetNamespace="%s">\n      <xsd:import namespace="http://schemas.xmlsoap.org/soap/encoding/"/>\n' % NS]
    for name, fields in structs.items():
        out.append(f'      <xsd:complexType name="{name}">\n        <xsd:all>\n')
        for f, ft in fields:
            out.append(f'          <xsd:element name="{f}" type="xsd:{ft}"/>\n')
        out.append('        </xsd:all>\n      </xsd:complexType>\n')
        out.append(f'''      <xsd:complexType name="ArrayOf{name}">
        <xsd:complexContent>
          <xsd:restriction base="soapenc:Array">
            <xsd:attribute ref="soapenc:arrayType" wsdl:arrayType="tns:{name}[]"/>
          </xsd:restriction>
        </xsd:complexContent>
      </xsd:complexType>
''')
    out.append('''      <xsd:complexType name="ArrayOfstring">
        <xsd:complexContent>
          <xsd:restriction base="soapenc:Array">
            <xsd:attribute ref="soapenc:arrayType" wsdl:arrayType="xsd:string[]"/>
          </xsd:restriction>
        </xsd:complexContent>
      </xsd:complexType>
    </xsd:schema>
  </types>
''')
    for op, ins, outs in ops:
        out.append(f'  <message name="{op}Request">\n' + "".join(f'    <part name="{n}" type="{t(ty)}"/>\n' for n, ty in ins) + '  </message>\n')
        out.append(f'  <message name="{op}Response">\n' + "".join(f'    <part name="{n}" type="{t(ty)}"/>\n' for n, ty in outs) + '  </message>\n')
    out.append('  <portType name="pb_tamtamPortType">\n')
    for op, _, _ in ops:
        out.append(f'    <operation name="{op}">\n      <input message="tns:{op}Request"/>\n      <output message="tns:{op}Response"/>\n    </operation>\n')
    out.append('  </portType>\n  <binding name="pb_tamtamBinding" type="tns:pb_tamtamPortType">\n    <soap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>\n')
    for op, _, _ in ops:
        out.append(f'''    <operation name="{op}">
      <soap:operation soapAction="{NS}#{op}" style="rpc"/>
      <input><soap:body use="encoded" namespace="{NS}" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></input>
      <output><soap:body use="encoded" namespace="{NS}" encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"/></output>
    </operation>
''')
    out.append(service())
    return "".join(out)

def service():
    return '''  </binding>
  <service name="pb_tamtam">
    <port name="pb_tamtamPort" binding="tns:pb_tamtamBinding">
      <soap:address location="@ADDRESS@"/>
    </port>
  </service>
</definitions>
'''

def resp_el(op):
    # C_makeCall's wrapped response would be C_makeCallResponse, the request element of the next operation
    return "C_makeCallResult" if op == "C_makeCall" else op + "Response"

def doclit():
    out = [header("document/literal wrapped"), '  <types>\n    <xsd:schema targetNamespace="%s" elementFormDefault="unqualified">\n' % NS]
    for name, fields in structs.items():
        out.append(f'      <xsd:complexType name="{name}">\n        <xsd:sequence>\n')
        for f, ft in fields:
            out.append(f'          <xsd:element name="{f}" type="xsd:{ft}"/>\n')
        out.append('        </xsd:sequence>\n      </xsd:complexType>\n')
    def el(n, ty):
        if ty == "ArrayOfstring":
            return f'<xsd:element name="{n}"><xsd:complexType><xsd:sequence><xsd:element name="item" type="xsd:string" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType></xsd:element>'
        if ty.startswith("ArrayOf"):
            return f'<xsd:element name="{n}"><xsd:complexType><xsd:sequence><xsd:element name="item" type="tns:{ty[7:]}" minOccurs="0" maxOccurs="unbounded"/></xsd:sequence></xsd:complexType></xsd:element>'
        return f'<xsd:element name="{n}" type="xsd:{ty}" minOccurs="0"/>'
    for op, ins, outs in ops:
        for wname, fields in ((op, ins), (resp_el(op), outs)):
            out.append(f'      <xsd:element name="{wname}">\n        <xsd:complexType>\n          <xsd:sequence>\n')
            for n, ty in fields:
                out.append('            ' + el(n, ty) + '\n')
            out.append('          </xsd:sequence>\n        </xsd:complexType>\n      </xsd:element>\n')
    out.append('    </xsd:schema>\n  </types>\n')
    for op, _, _ in ops:
        out.append(f'  <message name="{op}Request"><part name="parameters" element="tns:{op}"/></message>\n')
        out.append(f'  <message name="{op}Response"><part name="parameters" element="tns:{resp_el(op)}"/></message>\n')
    out.append('  <portType name="pb_tamtamPortType">\n')
    for op, _, _ in ops:
        out.append(f'    <operation name="{op}">\n      <input message="tns:{op}Request"/>\n      <output message="tns:{op}Response"/>\n    </operation>\n')
    out.append('  </portType>\n  <binding name="pb_tamtamBinding" type="tns:pb_tamtamPortType">\n    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>\n')
    for op, _, _ in ops:
        out.append(f'''    <operation name="{op}">
      <soap:operation soapAction="{NS}#{op}" style="document"/>
      <input><soap:body use="literal"/></input>
      <output><soap:body use="literal"/></output>
    </operation>
''')
    out.append(service())
    return "".join(out)

d = "src/main/resources/io/pbxbridge/sandbox/monema/"
open(d + "pb_tamtam-rpc-encoded.wsdl", "w").write(rpc())
open(d + "pb_tamtam-document-literal.wsdl", "w").write(doclit())
