import { type TextareaHTMLAttributes, forwardRef } from "react";

/** A textarea that grows with its content (CSS `field-sizing: content`). */
export const AutoTextarea = forwardRef<HTMLTextAreaElement, TextareaHTMLAttributes<HTMLTextAreaElement>>(function AutoTextarea(props, ref) {
  return <textarea ref={ref} rows={1} spellCheck={false} {...props} className={`auto-textarea ${props.className ?? ""}`} />;
});
